package io.maaschain.chain;

/** What importing a valid block did to the chain. */
public enum ImportResult {
    ALREADY_KNOWN,
    EXTENDED_HEAD,
    REORGANIZED,
    STORED_SIDE_BRANCH
}
