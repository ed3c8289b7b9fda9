package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link UserQueriesContract} on every engine, every client over TLS. */
class UserQueriesOverTlsContract extends UserQueriesContract {
    UserQueriesOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
