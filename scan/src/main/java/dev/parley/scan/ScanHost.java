package dev.parley.scan;

import java.net.InetAddress;

/**
 * One address to scan.
 *
 * @param name    the host name it was given by, or {@code null} for an address or a block member
 * @param address the address connections go to
 */
record ScanHost(String name, InetAddress address) {
    /** The address as text, without a host name part. */
    String addressText() {
        return Addresses.text(address);
    }

    /** How the host is shown to a person: {@code localhost (127.0.0.1)} or {@code 10.0.0.7}. */
    String label() {
        return name == null ? addressText() : name + " (" + addressText() + ")";
    }
}
