/**
 * MLflow's own limits on run metadata (mlflow/utils/validation.py): a value past them cannot
 * have come from MLflow, and a gate that read it whole would let a PR make it arbitrarily big.
 * Every run format is held to them (MLflow, W&B, portable records and snapshots).
 */
/** MAX_TAG_VAL_LENGTH: characters in a tag value. */
export const MAX_TAG_VALUE_CHARS = 8000;
/** MAX_PARAM_VAL_LENGTH: characters in a param value. */
export const MAX_PARAM_VALUE_CHARS = 6000;

/** Entries (files and directories) read under one run's params/, tags/ or metrics/. */
export const MAX_RUN_DIR_ENTRIES = 10_000;
/** Params, tags or metrics of one run in any format: as many as an MLflow run directory may list. */
export const MAX_RUN_KEYS = MAX_RUN_DIR_ENTRIES;
/** Points in a portable record's `metric_history`, all metrics together. */
export const MAX_HISTORY_POINTS = 100_000;
/** Bytes of one run's params, or of its tags, read together. */
export const MAX_KEYED_BYTES_PER_RUN = 16 * 1024 * 1024;
