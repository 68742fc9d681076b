import { findRepoRoot } from '@reserveit/localstack';
import { writeNatsUsersFile } from './nats-users-file.js';

process.stdout.write(`wrote ${writeNatsUsersFile(findRepoRoot())}\n`);
