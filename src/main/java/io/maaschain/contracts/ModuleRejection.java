package io.maaschain.contracts;

/** Why a module was refused at deploy (docs/contracts.md, "Deploy-time checks"). Names are stable: they appear in results. */
public enum ModuleRejection {
    MALFORMED,
    TOO_LARGE,
    TOO_MANY_FUNCTIONS,
    TOO_MANY_LOCALS,
    TOO_MANY_GLOBALS,
    TABLE_TOO_LARGE,
    MEMORY_TOO_LARGE,
    FORBIDDEN_IMPORT,
    START_FUNCTION,
    FLOAT_INSTRUCTION,
    UNSUPPORTED_INSTRUCTION,
    RESERVED_EXPORT,
}
