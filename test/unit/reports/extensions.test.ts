import { customExtensionAttributes, newExtensionAttributes } from '../../../lambdas/reports/extensions';
import { CUSTOM, ENTERPRISE } from './fixtures';

describe('customExtensionAttributes', () => {
  it('lists `<urn>:<attribute>` of custom User extensions only', () => {
    expect(customExtensionAttributes({ userName: 'a', [ENTERPRISE]: { department: 'x' }, [CUSTOM]: { costCenter: 'c', badge: null, site: 'HQ' } })).toEqual([
      `${CUSTOM}:costCenter`,
      `${CUSTOM}:site`,
    ]);
  });

  it('reports only entries the new version adds', () => {
    expect(newExtensionAttributes({ [CUSTOM]: { costCenter: 'c' } }, { [CUSTOM]: { costCenter: 'd', site: 'HQ' } })).toEqual([`${CUSTOM}:site`]);
    expect(newExtensionAttributes(undefined, { userName: 'a' })).toEqual([]);
  });
});
