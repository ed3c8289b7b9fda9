package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link CapabilitiesContract} on every engine, every client over TLS. */
class CapabilitiesOverTlsContract extends CapabilitiesContract {
    CapabilitiesOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
