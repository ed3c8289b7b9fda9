package dev.parley.server.config;

/** Where the configuration comes from, so REHASH can read it again. */
public interface ConfigSource {
    /** The configuration the server starts with. */
    ServerConfig initial();

    /** Reads the configuration again; throws with a clear message when it is invalid. */
    ServerConfig reload() throws Exception;

    /** A configuration that never changes (REHASH keeps it). */
    static ConfigSource fixed(ServerConfig config) {
        return new ConfigSource() {
            @Override
            public ServerConfig initial() {
                return config;
            }

            @Override
            public ServerConfig reload() {
                return config;
            }
        };
    }
}
