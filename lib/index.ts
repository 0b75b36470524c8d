/** The package's public surface: the construct, its props and defaults, and the ready-made stack. */
export { ScimGateway, type GatewayFunctions } from './scim-gateway';
export type { CustomDomainOptions, ScimGatewayProps, ThrottlingOptions, WafBodyLimitKiB, WafOptions } from './gateway/props';
export { DEFAULTS, resolveGatewayProps, type ResolvedGatewayProps, type ResolvedWafOptions } from './defaults';
export { ScimGatewayStack, readStackContext, StackContextSchema, type ScimGatewayStackProps, type StackContext } from './scim-gateway-stack';
export type { GatewayFunctionName } from './gateway/functions';
export { ROUTES, SCIM_PREFIX, type Route } from '../lambdas/shared/routes';
