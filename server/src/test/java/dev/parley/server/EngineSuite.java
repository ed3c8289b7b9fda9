package dev.parley.server;

import dev.parley.server.config.EngineKind;

import org.junit.jupiter.api.Nested;

/**
 * Every engine contract, once per engine: a subclass names the engine and inherits one nested
 * class per contract, so adding a contract here runs it on every engine.
 */
abstract class EngineSuite {
    /** The engine every contract below runs on. */
    protected abstract EngineKind kind();

    @Nested
    class Chat extends ChatContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class ChannelModes extends ChannelModesContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class UserQueries extends UserQueriesContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class Capabilities extends CapabilitiesContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class Operators extends OperatorsContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class Accounts extends AccountsContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class History extends HistoryContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class Limits extends LimitsContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }

    @Nested
    class HostileInput extends HostileInputContract {
        @Override
        protected EngineKind engine() {
            return kind();
        }
    }
}
