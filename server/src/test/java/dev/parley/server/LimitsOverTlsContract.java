package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link LimitsContract} on every engine, every client over TLS. */
class LimitsOverTlsContract extends LimitsContract {
    LimitsOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
