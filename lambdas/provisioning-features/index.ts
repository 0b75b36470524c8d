/**
 * Provisioning features: per-application switches for what a SCIM client may write, and the pure
 * decision a handler asks before it writes. No I/O, no AWS.
 */
export {
  DEFAULT_FEATURES,
  DELETE_MODES,
  featuresError,
  parseFeatures,
  readFeatures,
  type DeleteMode,
  type FeaturesParse,
  type FeaturesProblem,
  type FeatureSwitch,
  type ProvisioningFeatures,
} from './features';
export {
  changedAttributes,
  decideWrite,
  isActive,
  REFUSAL_DETAILS,
  refusalError,
  type FeatureAction,
  type FeatureDecision,
  type UserWrite,
} from './decide';
