/**
 * Per-category playbooks: the generic first steps a responder takes, by phase, with commands where a standard
 * tool exists. `<service>`, `<host>`, `<domain>` are placeholders the runbook fills from the incident.
 */
import type { Category } from '../../schemas/common.js';

export type Phase = 'diagnosis' | 'mitigation' | 'verification' | 'escalation';

export interface PlaybookStep {
  phase: Phase;
  action: string;
  command: string | null;
  minutes: number;
}

const step = (phase: Phase, action: string, command: string | null, minutes: number): PlaybookStep => ({
  phase,
  action,
  command,
  minutes,
});

export const PLAYBOOKS: Readonly<Record<Category, readonly PlaybookStep[]>> = {
  config_deploy: [
    step(
      'diagnosis',
      'List changes shipped to <service> in the last two hours (deploys, config, flags)',
      'kubectl rollout history deployment/<service>',
      3,
    ),
    step('diagnosis', 'Compare error rate before and after the most recent change', null, 3),
    step('mitigation', 'Roll back the most recent deploy of <service>', 'kubectl rollout undo deployment/<service>', 5),
    step('mitigation', 'Turn off any feature flag switched on around the start time', null, 2),
    step(
      'verification',
      'Confirm the rollback finished and error rate is back to baseline',
      'kubectl rollout status deployment/<service>',
      5,
    ),
    step('escalation', 'Page the author of the change if rollback is not possible', null, 2),
  ],
  capacity_load: [
    step(
      'diagnosis',
      'Check CPU, memory and saturation of <service> against its limits',
      'kubectl top pods -l app=<service>',
      3,
    ),
    step('diagnosis', 'Find the traffic source: compare request rate by client, route and region', null, 5),
    step('mitigation', 'Scale <service> out', 'kubectl scale deployment/<service> --replicas=<n>', 5),
    step('mitigation', 'Shed or rate-limit the heaviest non-critical traffic', null, 5),
    step('verification', 'Watch queue depth and latency return under the SLO', null, 10),
    step('escalation', 'Ask the capacity owner for quota or instance-limit increases', null, 5),
  ],
  software_bug: [
    step(
      'diagnosis',
      'Read the top new exception and its stack trace in <service> logs',
      'kubectl logs deployment/<service> --since=30m | grep -i -m 50 exception',
      5,
    ),
    step('diagnosis', 'Find the first bad request and the code path it takes', null, 10),
    step(
      'mitigation',
      'Roll back to the last good version or disable the code path with a flag',
      'kubectl rollout undo deployment/<service>',
      5,
    ),
    step('verification', 'Replay the failing request and confirm success', null, 5),
    step('escalation', 'Page the owning team if the fix needs a code change', null, 2),
  ],
  hardware_power: [
    step('diagnosis', 'Identify affected hosts, racks or zones and what runs on them', 'kubectl get nodes -o wide', 3),
    step('diagnosis', 'Check the provider or facility status for power and cooling events', null, 3),
    step(
      'mitigation',
      'Cordon and drain failing nodes so work moves to healthy capacity',
      'kubectl drain <host> --ignore-daemonsets --delete-emptydir-data',
      10,
    ),
    step('mitigation', 'Fail over stateful services away from the affected zone', null, 10),
    step('verification', 'Confirm replicas are healthy outside the affected hardware', 'kubectl get pods -o wide', 5),
    step('escalation', 'Open a ticket with the data-centre or cloud provider', null, 5),
  ],
  network: [
    step('diagnosis', 'Measure loss and latency from an affected client to <host>', 'mtr -rwc 50 <host>', 3),
    step('diagnosis', 'Check recent firewall, security-group, route-table and BGP changes', null, 5),
    step('mitigation', 'Shift traffic away from the affected zone, link or load balancer', null, 10),
    step('mitigation', 'Revert the latest network change if one lines up with the start time', null, 10),
    step('verification', 'Confirm packet loss is gone and error rates recover', 'mtr -rwc 50 <host>', 5),
    step('escalation', 'Engage the network team or the transit/ISP provider', null, 5),
  ],
  dns: [
    step('diagnosis', 'Resolve the failing name from inside and outside the network', 'dig +trace <domain>', 3),
    step(
      'diagnosis',
      'Check the resolver pods and recent zone or record changes',
      'kubectl -n kube-system logs -l k8s-app=kube-dns --since=30m',
      5,
    ),
    step('mitigation', 'Restore the last good record set or fix the delegation', null, 10),
    step(
      'mitigation',
      'Restart or scale the resolvers if they are overloaded',
      'kubectl -n kube-system rollout restart deployment/coredns',
      5,
    ),
    step('verification', 'Confirm resolution from several vantage points and wait one TTL', 'dig <domain> @8.8.8.8', 5),
    step('escalation', 'Contact the DNS provider or registrar if the zone itself is affected', null, 5),
  ],
  certificate: [
    step(
      'diagnosis',
      'Inspect the served certificate chain and its expiry',
      'openssl s_client -connect <domain>:443 -servername <domain> </dev/null | openssl x509 -noout -dates -subject -issuer',
      2,
    ),
    step('diagnosis', 'Check the certificate manager and renewal job logs', 'kubectl get certificates -A', 3),
    step('mitigation', 'Renew or re-issue the certificate and reload the terminating proxy', null, 15),
    step('mitigation', 'Restore the missing intermediate or CA bundle if the chain is incomplete', null, 10),
    step(
      'verification',
      'Confirm the new expiry date from outside',
      'curl -vI https://<domain> 2>&1 | grep -i expire',
      2,
    ),
    step('escalation', 'Engage the owner of the certificate authority or PKI', null, 5),
  ],
  database: [
    step(
      'diagnosis',
      'Look for long-running queries, locks and connection counts',
      'psql -c "select pid, now() - query_start as age, state, wait_event_type, left(query, 120) from pg_stat_activity where state <> \'idle\' order by age desc limit 20"',
      3,
    ),
    step(
      'diagnosis',
      'Check replication lag and primary health',
      'psql -c "select client_addr, state, replay_lag from pg_stat_replication"',
      2,
    ),
    step('mitigation', 'Cancel the offending queries or sessions', 'psql -c "select pg_cancel_backend(<pid>)"', 3),
    step('mitigation', 'Fail over to a healthy replica if the primary is unhealthy', null, 10),
    step('verification', 'Confirm query latency and error rate are back to normal', null, 5),
    step('escalation', 'Page the database on-call if failover or restore is needed', null, 2),
  ],
  dependency_third_party: [
    step('diagnosis', "Confirm the failing calls go to the provider and check the provider's status page", null, 3),
    step('diagnosis', 'Measure error rate and latency per provider endpoint', null, 3),
    step('mitigation', 'Fail over to a secondary provider or enable the degraded mode', null, 10),
    step('mitigation', 'Queue and retry outbound work instead of failing user requests', null, 10),
    step('verification', 'Confirm provider calls succeed again and drain the retry queue', null, 10),
    step('escalation', "Open a ticket with the provider's support and post a customer notice", null, 5),
  ],
  security: [
    step('diagnosis', 'Preserve evidence: snapshot logs and affected hosts before changing anything', null, 10),
    step('diagnosis', 'Identify the accounts, keys and systems involved', null, 10),
    step('mitigation', 'Revoke or rotate exposed credentials and block malicious sources', null, 15),
    step('mitigation', 'Isolate compromised hosts from the network', null, 10),
    step('verification', 'Confirm no further suspicious access in audit logs', null, 15),
    step('escalation', 'Page the security team and follow the security incident process', null, 2),
  ],
  time: [
    step('diagnosis', 'Compare system clocks and time-sync status on affected hosts', 'chronyc tracking', 2),
    step('diagnosis', 'Check code paths that depend on dates, zones or DST for the current date', null, 10),
    step('mitigation', 'Resync clocks from a trusted source', 'chronyc makestep', 3),
    step('mitigation', 'Pause scheduled jobs that run on the affected date boundary', null, 5),
    step('verification', 'Confirm clock offsets are within tolerance', 'chronyc sources -v', 2),
    step('escalation', 'Engage the owners of the date-handling code', null, 5),
  ],
  other: [
    step('diagnosis', 'Confirm the impact: what is broken, for whom, since when', null, 5),
    step('diagnosis', 'Check recent changes and dashboards of <service>', null, 5),
    step(
      'mitigation',
      'Apply the least risky mitigation (rollback, restart, failover) that matches the evidence',
      null,
      10,
    ),
    step('verification', 'Confirm the symptom is gone from user-facing checks', null, 5),
    step('escalation', 'Escalate to the owning team if no cause is found within 30 minutes', null, 2),
  ],
};
