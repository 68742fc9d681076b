import { findRepoRoot } from '@reserveit/localstack';
import { writeNatsUsersFiles } from './nats-users-file.js';

for (const file of writeNatsUsersFiles(findRepoRoot())) process.stdout.write(`wrote ${file}\n`);
