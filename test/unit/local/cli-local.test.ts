import { parseLocalArgs, UsageError } from '../../../lib/cli/local';

describe('parseLocalArgs', () => {
  it('defaults to port 8080, 127.0.0.1 and no data directory (the gateway then uses .data)', () => {
    expect(parseLocalArgs([], {})).toEqual({ port: 8080, host: '127.0.0.1', dataDir: undefined, inMemory: false, quiet: false, help: false });
  });

  it('takes PORT and SCIM_GATEWAY_DATA_DIR from the environment', () => {
    expect(parseLocalArgs([], { PORT: '9000', SCIM_GATEWAY_DATA_DIR: '/tmp/gw' })).toMatchObject({ port: 9000, dataDir: '/tmp/gw' });
  });

  it('lets flags win over the environment', () => {
    const options = parseLocalArgs(['--port', '0', '--data-dir', 'here', '--in-memory', '--host', '0.0.0.0', '--quiet'], {
      PORT: '9000',
      SCIM_GATEWAY_DATA_DIR: '/tmp/gw',
    });
    expect(options).toEqual({ port: 0, host: '0.0.0.0', dataDir: 'here', inMemory: true, quiet: true, help: false });
  });

  it.each(['abc', '-1', '65536', '80.5', '1e3'])('refuses the port %s', (port) => {
    expect(() => parseLocalArgs(['--port', port], {})).toThrow(UsageError);
    expect(() => parseLocalArgs([], { PORT: port })).toThrow(/whole number from 0 to 65535/);
  });

  it('refuses unknown options and positional arguments', () => {
    expect(() => parseLocalArgs(['--inmemory'], {})).toThrow(UsageError);
    expect(() => parseLocalArgs(['extra'], {})).toThrow(UsageError);
  });

  it('recognises -h', () => {
    expect(parseLocalArgs(['-h'], {}).help).toBe(true);
  });
});
