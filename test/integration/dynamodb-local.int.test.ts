import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTestTables, type TestTables } from '../helpers/tables';

describe('DynamoDB Local test harness', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables('harness');
  });
  afterAll(() => tables.drop());

  it('creates a main and a report table per suite', async () => {
    const listed = await tables.client.send(new ListTablesCommand({}));
    expect(listed.TableNames).toEqual(expect.arrayContaining([tables.tableName, tables.reportTableName]));
  });
});
