package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link AccountsContract} on every engine, every client over TLS. */
class AccountsOverTlsContract extends AccountsContract {
    AccountsOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
