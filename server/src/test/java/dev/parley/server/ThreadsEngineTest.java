package dev.parley.server;

import org.junit.jupiter.api.Nested;

/** Every engine contract, on the platform-thread-per-client engine. */
class ThreadsEngineTest {
    private static final EngineKind ENGINE = EngineKind.THREADS;

    @Nested
    class Chat extends ChatContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class ChannelModes extends ChannelModesContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class UserQueries extends UserQueriesContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class Capabilities extends CapabilitiesContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class Operators extends OperatorsContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class Accounts extends AccountsContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class History extends HistoryContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class Limits extends LimitsContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }

    @Nested
    class HostileInput extends HostileInputContract {
        @Override
        protected EngineKind engine() {
            return ENGINE;
        }
    }
}
