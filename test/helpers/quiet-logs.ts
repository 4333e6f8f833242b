// n8n's logger writes every node warning to the console; the tests assert on outcomes instead.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
