package io.maaschain.cli;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.UpdatePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "admin", description = "Administer a permissioned chain.", subcommands = {AdminCommand.Permissions.class})
final class AdminCommand {

    @Command(name = "permissions", description = "Add or remove member accounts, node keys and admins (an admin transaction; every node applies it at the same height).")
    static final class Permissions extends ModelMarketCommands.MarketTx {
        @Option(names = "--add-account", description = "Address to admit (repeatable).") List<String> addAccounts = new ArrayList<>();
        @Option(names = "--remove-account", description = "Address to remove (repeatable).") List<String> removeAccounts = new ArrayList<>();
        @Option(names = "--add-node", description = "Node public key (hex) to admit (repeatable).") List<String> addNodes = new ArrayList<>();
        @Option(names = "--remove-node", description = "Node public key (hex) to remove (repeatable).") List<String> removeNodes = new ArrayList<>();
        @Option(names = "--add-admin", description = "Address to make admin (repeatable).") List<String> addAdmins = new ArrayList<>();
        @Option(names = "--remove-admin", description = "Admin address to remove (repeatable).") List<String> removeAdmins = new ArrayList<>();

        @Override
        Payload payload() {
            return new UpdatePermissions(addresses(addAccounts), addresses(removeAccounts), keys(addNodes), keys(removeNodes),
                    addresses(addAdmins), addresses(removeAdmins));
        }

        private static List<Address> addresses(List<String> texts) {
            return texts.stream().map(Address::parse).toList();
        }

        private static List<PublicKey> keys(List<String> texts) {
            return texts.stream().map(PublicKey::fromHex).toList();
        }
    }
}
