import { createServer } from 'node:net';
import { startDynamoLocal } from '../../local/dynamo-local.js';

/** Issue 15.5: a taken port is a clear error, never a silent use of whatever listens there. */
it('refuses to start DynamoDB Local on a port something else holds, saying how to find it', async () => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    await expect(startDynamoLocal({ port })).rejects.toThrow(new RegExp(`Port ${port} is in use.*lsof -i :${port}`));
  } finally {
    squatter.close();
  }
});
