package dev.parley.server.session;

/** Progress towards registration, kept by the registration and account commands. Reader only. */
public final class Registration {
    private boolean capNegotiating;
    private String password;
    private StringBuilder sasl;
    private String saslMechanism;
    private Object saslStep;
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

    /** Starts a SASL exchange with {@code mechanism} (upper case). */
    public void startSasl(String mechanism) {
        sasl = new StringBuilder();
        saslMechanism = mechanism;
        saslStep = null;
    }

    /** The mechanism of the exchange in progress, or null. */
    public String saslMechanism() {
        return saslMechanism;
    }

    /** What the mechanism keeps between two messages of its exchange (its step), or null. */
    public Object saslStep() {
        return saslStep;
    }

    public void setSaslStep(Object step) {
        saslStep = step;
    }

    /** Clears the collected base64 for the next message of the same exchange. */
    public void nextSaslMessage() {
        sasl = new StringBuilder();
    }

    /** Ends the exchange (done, failed or aborted). */
    public void resetSasl() {
        sasl = null;
        saslMechanism = null;
        saslStep = null;
    }
}
