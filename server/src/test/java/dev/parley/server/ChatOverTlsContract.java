package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** {@link ChatContract} on every engine, every client over TLS. */
class ChatOverTlsContract extends ChatContract {
    ChatOverTlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }
}
