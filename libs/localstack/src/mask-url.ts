// Lives in libs/config, beside the local-stack discovery that prints URLs too; re-exported here
// for this package's own importers (cli-postgres.ts).
export { maskUrlPassword } from '@reserveit/config';
