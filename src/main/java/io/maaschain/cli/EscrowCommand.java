package io.maaschain.cli;

import io.maaschain.crypto.Address;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Withdraw;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "escrow", description = "Prepay inference calls: escrow is held for one hosting node, which settles calls against it.",
        subcommands = {EscrowCommand.DepositCmd.class, EscrowCommand.WithdrawCmd.class})
final class EscrowCommand {

    @Command(name = "deposit", description = "Move coins into the escrow held for a host.")
    static final class DepositCmd extends ModelMarketCommands.MarketTx {
        @Option(names = "--host", required = true, description = "The hosting node's address.") String host;
        @Option(names = "--amount", required = true, description = "Coins to deposit.") long amount;

        @Override
        Payload payload() {
            return new Deposit(Address.parse(host), amount);
        }
    }

    @Command(name = "withdraw", description = "Announce a withdrawal; send it again once the escrow timeout (20 blocks) has passed to take the coins.")
    static final class WithdrawCmd extends ModelMarketCommands.MarketTx {
        @Option(names = "--host", required = true, description = "The hosting node's address.") String host;
        @Option(names = "--amount", required = true, description = "Coins to withdraw.") long amount;

        @Override
        Payload payload() {
            return new Withdraw(Address.parse(host), amount);
        }
    }
}
