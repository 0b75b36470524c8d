/**
 * POST /Bulk in the construct: its route, its own function sized for the largest request the
 * gateway accepts, and nothing in front of it that refuses a body the gateway advertises.
 */
import { Duration } from 'aws-cdk-lib';
import { FUNCTION_SETTINGS } from '../../lib/defaults';
import { MAX_PAYLOAD_BYTES } from '../../lib/local/http-adapter';
import { BULK_MAX_PAYLOAD_SIZE } from '../../lambdas/scim/bulk';
import { SCIM_PREFIX } from '../../lambdas/shared/routes';
import { resourcesOf, synthGateway, type SynthesizedGateway } from './gateway-fixture';

describe('ScimGateway: POST /Bulk', () => {
  let gw: SynthesizedGateway;
  beforeAll(() => {
    gw = synthGateway();
  });

  it('routes POST <Tenant URL>/Bulk to the bulk function through the token authorizer, as the SCIM routes', () => {
    const resources = resourcesOf(gw.template, 'AWS::ApiGateway::Resource');
    const bulkResource = Object.entries(resources).find(([, r]) => r.Properties.PathPart === 'Bulk');
    expect(bulkResource).toBeDefined();
    const [resourceId] = bulkResource!;
    const methods = Object.values(resourcesOf(gw.template, 'AWS::ApiGateway::Method')).filter(
      (m) => JSON.stringify(m.Properties.ResourceId) === JSON.stringify({ Ref: resourceId }),
    );
    expect(methods.map((m) => m.Properties.HttpMethod)).toEqual(['POST']);
    const [method] = methods;
    expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', OperationName: 'processBulk' });
    expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`"${gw.logicalId(gw.gateway.functions.bulk)}"`);
    // The parent of /Bulk is the Tenant URL's resource (…/scim/v2).
    const parent = resources[resources[resourceId].Properties.ParentId.Ref];
    expect(parent.Properties.PathPart).toBe(SCIM_PREFIX.split('/').pop());
  });

  it('gives the bulk function API Gateway\'s 29 s and 1,024 MB, the other API functions 512 MB', () => {
    const functions = resourcesOf(gw.template, 'AWS::Lambda::Function');
    const bulk = functions[gw.logicalId(gw.gateway.functions.bulk)].Properties;
    const users = functions[gw.logicalId(gw.gateway.functions.users)].Properties;
    expect(bulk).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    expect(users).toMatchObject({ Timeout: 29, MemorySize: 512 });
    expect(FUNCTION_SETTINGS.bulk.timeout.toSeconds()).toBeLessThanOrEqual(Duration.seconds(29).toSeconds());
  });

  it('accepts bodies up to maxPayloadSize: API Gateway (and the local adapter) allow 10 MB, WAF counts its 8 KB body rule only', () => {
    expect(MAX_PAYLOAD_BYTES).toBeGreaterThan(BULK_MAX_PAYLOAD_SIZE);
    const [acl] = Object.values(resourcesOf(gw.template, 'AWS::WAFv2::WebACL'));
    const common = acl.Properties.Rules.find((r: { Name: string }) => r.Name === 'AwsCommonRules');
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    expect(acl.Properties.Rules.find((r: { Name: string }) => /BodySize/i.test(r.Name))).toBeUndefined();
  });
});
