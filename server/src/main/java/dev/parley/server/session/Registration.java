package dev.parley.server.session;

/** Progress towards registration, kept by the registration and account commands. Reader only. */
public final class Registration {
    private boolean capNegotiating;
    private String password;
    private StringBuilder sasl;
    private boolean registeredAccount;

    /** True once this connection registered an account (one per connection). */
    public boolean hasRegisteredAccount() {
        return registeredAccount;
    }

    public void markRegisteredAccount() {
        registeredAccount = true;
    }

    public boolean isCapNegotiating() {
        return capNegotiating;
    }

    public void setCapNegotiating(boolean on) {
        capNegotiating = on;
    }

    /** The PASS given, once; reading it forgets it. */
    public String takePassword() {
        String p = password;
        password = null;
        return p;
    }

    public void setPassword(String p) {
        password = p;
    }

    /** The base64 of a SASL exchange in progress, or null. */
    public StringBuilder sasl() {
        return sasl;
    }

    public void startSasl() {
        sasl = new StringBuilder();
    }

    public void resetSasl() {
        sasl = null;
    }
}
