package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link HistoryContract} on every engine, every client over TLS. */
class HistoryOverTlsContract extends HistoryContract {
    HistoryOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
