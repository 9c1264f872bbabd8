-- Audit rows written before webhooks were audited by host: the URL (for chat services, the credential)
-- becomes its host and the owner's address goes.
UPDATE audit_log SET details = json_remove(
  CASE WHEN json_type(details, '$.url') = 'text' THEN json_set(details, '$.host',
    substr(substr(json_extract(details, '$.url'), instr(json_extract(details, '$.url'), '://') + 3), 1,
      instr(substr(json_extract(details, '$.url'), instr(json_extract(details, '$.url'), '://') + 3) || '/', '/') - 1))
  ELSE details END, '$.url', '$.owner_email')
WHERE action LIKE 'webhook.%' AND (json_type(details, '$.url') IS NOT NULL OR json_type(details, '$.owner_email') IS NOT NULL);
