package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link OperatorsContract} on every engine, every client over TLS. */
class OperatorsOverTlsContract extends OperatorsContract {
    OperatorsOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
