package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link HostileInputContract} on every engine, every client over TLS: the same outcomes inside TLS records. */
class HostileInputOverTlsContract extends HostileInputContract {
    HostileInputOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
