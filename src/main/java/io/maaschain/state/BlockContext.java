package io.maaschain.state;

/** What a transaction sees of the block it is applied in: its height and its header timestamp. */
public record BlockContext(long height, long timeMillis) {}
