package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An admin's change to a permissioned chain's membership: accounts that may submit transactions, node keys that
 * may connect, and admins. Applied at one height on every node, so all nodes change membership together.
 */
public record UpdatePermissions(
        List<Address> addAccounts,
        List<Address> removeAccounts,
        List<PublicKey> addNodes,
        List<PublicKey> removeNodes,
        List<Address> addAdmins,
        List<Address> removeAdmins) implements Payload {

    public static final int KIND = 3;
    public static final int MAX_ENTRIES = 64;

    public UpdatePermissions {
        addAccounts = bounded(addAccounts, "addAccounts");
        removeAccounts = bounded(removeAccounts, "removeAccounts");
        addNodes = bounded(addNodes, "addNodes");
        removeNodes = bounded(removeNodes, "removeNodes");
        addAdmins = bounded(addAdmins, "addAdmins");
        removeAdmins = bounded(removeAdmins, "removeAdmins");
        if (addAccounts.isEmpty() && removeAccounts.isEmpty() && addNodes.isEmpty() && removeNodes.isEmpty()
                && addAdmins.isEmpty() && removeAdmins.isEmpty()) {
            throw new IllegalArgumentException("a permission update must change something");
        }
    }

    private static <T> List<T> bounded(List<T> list, String what) {
        List<T> copy = List.copyOf(list);
        if (copy.size() > MAX_ENTRIES) throw new IllegalArgumentException(what + " holds more than " + MAX_ENTRIES + " entries");
        Set<T> distinct = new HashSet<>(copy);
        if (distinct.size() != copy.size()) throw new IllegalArgumentException(what + " lists an entry twice");
        return copy;
    }

    @Override
    public int kind() {
        return KIND;
    }
}
