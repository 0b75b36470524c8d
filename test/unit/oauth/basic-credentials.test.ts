import { decodeBasicCredentials, encodeBasicCredentials } from '../../../lambdas/oauth/basic-credentials';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('decodeBasicCredentials (RFC 6749 §2.3.1 over RFC 7617)', () => {
  it('splits at the first colon: a secret may hold colons', () => {
    expect(decodeBasicCredentials(basic('client:sec:ret::'))).toEqual({ ok: true, clientId: 'client', clientSecret: 'sec:ret::' });
  });

  it('form-decodes each half after the split: %3A in the id is part of the id, not the separator', () => {
    expect(decodeBasicCredentials(basic('my%3Aclient:p%40ss%3Aword'))).toEqual({ ok: true, clientId: 'my:client', clientSecret: 'p@ss:word' });
  });

  it('reads + as a space and %2B as a plus', () => {
    expect(decodeBasicCredentials(basic('a+b:c%2Bd+e'))).toEqual({ ok: true, clientId: 'a b', clientSecret: 'c+d e' });
  });

  it('decodes percent-encoded UTF-8', () => {
    expect(decodeBasicCredentials(basic('caf%C3%A9:%E2%82%AC'))).toEqual({ ok: true, clientId: 'café', clientSecret: '€' });
  });

  it('takes our ids and secrets as they are when a client skips the form encoding', () => {
    const id = 'scgwc_abcdefghij12_k3y00001';
    const secret = 'scgws_s3cr3t01_Ab-_9zAb-_9zAb-_9zAb-_9zAb-_9zAb-_9zAb-_9zAb-';
    expect(decodeBasicCredentials(basic(`${id}:${secret}`))).toEqual({ ok: true, clientId: id, clientSecret: secret });
  });

  it('accepts the scheme in any letter case, extra blanks and unpadded base64', () => {
    const token = Buffer.from('id:secret').toString('base64');
    expect(decodeBasicCredentials(`bAsIc   ${token}  `)).toMatchObject({ ok: true, clientId: 'id', clientSecret: 'secret' });
    expect(decodeBasicCredentials(`Basic ${Buffer.from('id:secre').toString('base64').replace(/=+$/, '')}`)).toMatchObject({ ok: true, clientSecret: 'secre' });
  });

  it('is the inverse of encodeBasicCredentials for awkward ids and secrets', () => {
    for (const [id, secret] of [['a:b', 'c:d'], ['100%', '%zz'], ['x y+z', '=&?'], ['ünï', '日本']]) {
      expect(decodeBasicCredentials(encodeBasicCredentials(id, secret))).toEqual({ ok: true, clientId: id, clientSecret: secret });
    }
  });

  it.each([
    ['not base64', 'Basic ***'],
    ['base64url alphabet', `Basic ${Buffer.from('id:se?>cret').toString('base64url')}`],
    ['an impossible length', 'Basic abcde'],
    ['padding in the middle', 'Basic YQ==YQ=='],
    ['no credentials', 'Basic '],
    ['no colon', basic('justanid')],
    ['an empty id', basic(':secret')],
    ['an empty secret', basic('id:')],
    ['a broken percent escape', basic('id:100%')],
    ['invalid UTF-8', `Basic ${Buffer.from([0x69, 0x64, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['another scheme', 'Bearer aWQ6c2VjcmV0'],
  ])('refuses %s', (_name, header) => {
    expect(decodeBasicCredentials(header)).toEqual({ ok: false, description: expect.any(String) });
  });
});
