package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link ChannelModesContract} on every engine, every client over TLS. */
class ChannelModesOverTlsContract extends ChannelModesContract {
    ChannelModesOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
