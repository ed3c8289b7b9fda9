package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link MonitorContract} on every engine, every client over TLS. */
class MonitorOverTlsContract extends MonitorContract {
    MonitorOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
