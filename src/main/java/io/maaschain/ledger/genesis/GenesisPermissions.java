package io.maaschain.ledger.genesis;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import java.util.List;

/** The genesis file's {@code permissioned} section: the initial members of a private (consortium) chain. */
public record GenesisPermissions(List<Address> admins, List<Address> accounts, List<PublicKey> nodes) {
    public GenesisPermissions {
        admins = List.copyOf(admins);
        accounts = List.copyOf(accounts);
        nodes = List.copyOf(nodes);
        if (admins.isEmpty()) throw new IllegalArgumentException("a permissioned chain needs at least one admin");
    }
}
