/**
 * MLflow's own limits on run metadata (mlflow/utils/validation.py): a value past them cannot
 * have come from MLflow, and a gate that read it whole would let a PR make it arbitrarily big.
 */
/** MAX_TAG_VAL_LENGTH: characters in a tag value. */
export const MAX_TAG_VALUE_CHARS = 8000;
/** MAX_PARAM_VAL_LENGTH: characters in a param value. */
export const MAX_PARAM_VALUE_CHARS = 6000;
