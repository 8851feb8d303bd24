// The content of a synthetic registry: model names, MLflow runs, manifests, policies and
// hash-chained audit logs, all derived from (seed, model index, version), so model 7 of a
// 10-model registry is byte for byte model 7 of a 1,000-model one. Pure: nothing here writes.
// bench/README.md describes what a generated repository contains.
import { createHash } from 'node:crypto';
import { streamFor } from './random.mjs';

/** Teams (one policy file each); models are assigned round-robin, so models 0-4 cover all five. */
export const DOMAINS = [
  { name: 'churn', kind: 'predictor', team: '@acme/ml-churn', riskTier: 'high', auc: 0.78, latency: 14, use: 'Rank subscribers for retention offers.' },
  { name: 'fraud', kind: 'scorer', team: '@acme/ml-risk', riskTier: 'high', auc: 0.9, latency: 6, use: 'Hold card payments for manual review.' },
  { name: 'ltv', kind: 'forecaster', team: '@acme/ml-growth', riskTier: 'medium', auc: 0.74, latency: 22, use: 'Budget acquisition spend per segment.' },
  { name: 'search', kind: 'ranker', team: '@acme/ml-search', riskTier: 'low', auc: 0.81, latency: 9, use: 'Order catalogue search results.' },
  { name: 'demand', kind: 'forecaster', team: '@acme/ml-supply', riskTier: 'medium', auc: 0.76, latency: 30, use: 'Plan warehouse stock per region.' },
];

const PEOPLE = ['alice', 'bob', 'carol', 'dmitri', 'erin', 'farah', 'gustavo', 'hana', 'ivan', 'jules'];
const ADJECTIVES = ['bold', 'calm', 'brave', 'eager', 'gentle', 'keen', 'lucky', 'quiet', 'swift', 'witty'];
const ANIMALS = ['lynx', 'otter', 'heron', 'bison', 'gecko', 'koala', 'moose', 'raven', 'tapir', 'wren'];
const FEATURES = ['tenure_months', 'monthly_charges', 'total_charges', 'plan', 'region', 'num_logins_30d', 'support_tickets_90d', 'device', 'days_since_signup', 'basket_value'];
const METRICS = ['val_auc', 'val_logloss', 'train_auc', 'latency_p99_ms'];

/** Audit records start here and end before PR_TIME; runs and soak times fall inside. */
const T0 = Date.parse('2023-01-02T09:00:00Z');
const T_END = Date.parse('2026-06-30T17:00:00Z');
export const PR_TIME = Date.parse('2026-07-01T10:00:00Z');
/** Commits before the adoption commit; records of that era name them as their source commit. */
export const PRE_ADOPTION_COMMITS = 3;

export function domainOf(i) {
  return DOMAINS[i % DOMAINS.length];
}

export function modelName(i) {
  const d = domainOf(i);
  return `${d.name}-${d.kind}-${String(i).padStart(4, '0')}`;
}

export const CONFIG_YAML = `# modelgate configuration (synthetic benchmark registry)
registry: registry
policies: policies
audit: audit
`;

/** One policy per team: the recommended preset plus thresholds relative to the champion. */
export function policyYaml(d) {
  return `# Promotion policy for the ${d.name} models, owned by ${d.team}.
apiVersion: modelgate/v1
kind: Policy
name: ${d.name}
extends: [recommended]
models: ["${d.name}-*"]

rules:
  Staging:
    signature: { required: true, compatibleWith: Production }
    metrics:
      - { name: val_auc, min: ${(d.auc - 0.1).toFixed(2)}, baseline: Production, maxDecrease: 0.02 }

  Production:
    minTimeInStage: 24h
    approvals: { required: 1, from: ["${d.team}", "alice"] }
    artifact: { verify: true }
    metrics:
      - { name: val_auc, min: ${(d.auc - 0.08).toFixed(2)}, baseline: Production, maxDecrease: 0.01 }
      - { name: val_logloss, max: 0.7, direction: lower }
      - { name: latency_p99_ms, max: ${d.latency * 2}, direction: lower, baseline: Production, maxRelDecrease: 0.25 }

  "@champion":
    from: [Production]

retention: { archivedDays: 30 }

enforcement:
  default: deny
  overrides:
    "metric:latency_p99_ms.max": warn
`;
}

// ---------------------------------------------------------------------------------------------
// The life of one model: every registration, promotion, archive, rollback and alias move, in
// time order. Manifests (base and head) and the audit log are both derived from it, so replaying
// the log gives exactly the manifest: `modelgate audit verify` finds nothing wrong.

/**
 * @typedef {{ version: number, action: string, from: string|null, to: string, displaced?: number, inPr: boolean }} Event
 * @param {{ versions: number, records: number, promoteInPr: boolean }} o
 * @returns {Event[]}
 */
export function lifeEvents(o) {
  const V = o.versions;
  const events = [];
  const stage = new Map(); // version -> stage
  const aliases = new Map();
  let prod;
  const emit = (e) => {
    if (e.to.startsWith('@')) aliases.set(e.to.slice(1), e.version);
    else stage.set(e.version, e.to);
    events.push({ inPr: false, ...e });
  };
  const natural = 5 * V - 4 + (o.promoteInPr ? 3 : 0);
  const drillAt = (v) => v % 10 === 0 && v <= V - 2;
  let drills = 0;
  for (let v = 1; v <= V; v++) if (drillAt(v)) drills++;
  const withDrills = natural + 7 * drills <= o.records;
  const padding = Math.max(0, o.records - natural - (withDrills ? 7 * drills : 0));
  // Shadow-traffic switches between the candidate and the version before it (v >= 2).
  const share = (v) => (V < 2 || v < 2 ? 0 : Math.floor(padding / (V - 1)) + (v - 2 < padding % (V - 1) ? 1 : 0));

  const promote = (v, pr) => {
    const prev = prod;
    emit({ version: v, action: 'promote', from: stage.get(v), to: 'Production', ...(prev ? { displaced: prev } : {}), inPr: pr });
    if (prev) emit({ version: prev, action: 'archive', from: 'Production', to: 'Archived', inPr: pr });
    emit({ version: v, action: 'alias', from: 'Production', to: '@champion', ...(prev ? { displaced: prev } : {}), inPr: pr });
    prod = v;
  };
  for (let v = 1; v <= V; v++) {
    emit({ version: v, action: 'register', from: null, to: 'None' });
    emit({ version: v, action: 'promote', from: 'None', to: 'Staging' });
    for (let k = 0; k < share(v); k++) {
      const target = k % 2 === 0 ? v : v - 1;
      const before = aliases.get('shadow');
      emit({ version: target, action: 'alias', from: stage.get(target), to: '@shadow', ...(before && before !== target ? { displaced: before } : {}) });
    }
    if (v < V) promote(v, false);
    else if (o.promoteInPr) promote(v, true);
    if (withDrills && drillAt(v) && v < V) {
      // A rollback drill: back to the previous version, then forward again through Staging.
      const back = v - 1;
      emit({ version: back, action: 'rollback', from: 'Archived', to: 'Production', displaced: v });
      emit({ version: v, action: 'archive', from: 'Production', to: 'Archived' });
      emit({ version: back, action: 'alias', from: 'Production', to: '@champion', displaced: v });
      prod = back;
      emit({ version: v, action: 'promote', from: 'Archived', to: 'Staging' });
      promote(v, false);
    }
  }
  return events;
}

/** Stages and aliases after applying `events` (in order). */
export function stateAfter(versions, events) {
  const stages = new Map();
  const aliases = new Map();
  for (const e of events) {
    if (e.to.startsWith('@')) aliases.set(e.to.slice(1), e.version);
    else stages.set(e.version, e.to);
  }
  for (let v = 1; v <= versions; v++) if (!stages.has(v)) stages.set(v, 'None');
  return { stages, aliases };
}

/** Event i of n happens at a time spread evenly over [T0, T_END], shifted a little per model. */
function eventTime(index, count, modelIndex) {
  const step = (T_END - T0) / (count + 1);
  return T0 + Math.round(step * (index + 1) + (modelIndex % 97) * 61_000);
}

// ---------------------------------------------------------------------------------------------
// One model: its runs (MLflow FileStore), manifest texts and audit log.

/**
 * Everything about model `i` that more than one file needs: run ids, metric values, the
 * artifact digest of each version, event times.
 */
export function modelPlan(seed, i, p) {
  const name = modelName(i);
  const d = domainOf(i);
  const rng = streamFor(seed, 'model', i);
  const experiment = rng.digits(18);
  const features = FEATURES.slice(0, 6 + (i % 4));
  const promoteInPr = p.changed.includes(i);
  const events = lifeEvents({ versions: p.versions, records: p.records, promoteInPr });
  const registered = new Map();
  events.forEach((e, k) => {
    e.time = eventTime(k, events.length, i);
    if (e.inPr) e.time = PR_TIME + k * 1000;
    if (e.action === 'register') registered.set(e.version, e.time);
  });
  const versions = [];
  for (let v = 1; v <= p.versions; v++) {
    const r = streamFor(seed, 'run', i, v);
    const runId = r.hex(32);
    // Slowly improving models; each version stays within the policy's champion-relative bounds.
    const auc = d.auc + 0.0004 * v + r.range(-0.002, 0.002);
    versions.push({
      version: v,
      runId,
      runPath: `mlruns/${experiment}/${runId}`,
      start: registered.get(v) - r.int(2, 9) * 3_600_000,
      duration: r.int(600, 5400) * 1000,
      final: {
        val_auc: round(auc, 6),
        val_logloss: round(0.62 - (auc - 0.7) * 0.9 + r.range(-0.004, 0.004), 6),
        train_auc: round(auc + r.range(0.01, 0.03), 6),
        latency_p99_ms: round(d.latency * r.range(0.95, 1.05), 3),
      },
      author: r.pick(PEOPLE),
      runName: `${r.pick(ADJECTIVES)}-${r.pick(ANIMALS)}-${r.int(100, 999)}`,
      commit: r.hex(40),
      modelUuid: r.hex(32),
      weights: r.bytes(r.int(1024, 3072)),
      seed: String(r.int(1, 99999)),
      learningRate: String(round(r.range(0.01, 0.1), 4)),
      trees: String(r.int(100, 900)),
      depth: String(r.int(4, 12)),
    });
  }
  return { index: i, name, domain: d, experiment, features, events, versions };
}

function round(x, digits) {
  return Number(x.toFixed(digits));
}

function signature(features) {
  return {
    inputs: JSON.stringify(features.map((f, k) => ({ type: k % 3 === 2 ? 'string' : k % 3 === 1 ? 'double' : 'long', name: f, required: true }))),
    outputs: JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1] } }]),
    params: null,
  };
}

function mlmodelText(plan, v) {
  const sig = signature(plan.features);
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  return `artifact_path: model
flavors:
  python_function:
    data: model.pkl
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    python_version: 3.11.9
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.1
mlflow_version: 2.14.1
model_size_bytes: ${v.weights.length}
model_uuid: ${v.modelUuid}
run_id: ${v.runId}
signature:
  inputs: ${q(sig.inputs)}
  outputs: ${q(sig.outputs)}
  params: null
utc_time_created: '${new Date(v.start + v.duration).toISOString().replace('T', ' ').replace('Z', '000')}'
`;
}

/** A 50-point (p.points) history climbing to the version's final value; steps every 10 iterations. */
function metricText(final, metric, points, start, duration) {
  const lines = [];
  for (let k = 0; k < points; k++) {
    const frac = (k + 1) / points;
    const ts = start + Math.round((duration * (k + 1)) / (points + 1));
    let value;
    if (metric === 'latency_p99_ms') value = final * (1 + 0.2 * (1 - frac) * ((k * 7) % 3) / 2);
    else if (metric === 'val_logloss') value = final + (0.69 - final) * (1 - frac) ** 2;
    else value = 0.5 + (final - 0.5) * (1 - (1 - frac) ** 3);
    if (k === points - 1) value = final;
    lines.push(`${ts} ${value} ${k * 10}\n`);
  }
  return lines.join('');
}

/**
 * The files of version `v`'s MLflow run (paths relative to the repo), and the digest of its
 * model directory (SPEC section 6).
 * @returns {{ files: [string, string|Buffer][], digest: string }}
 */
export function runFiles(plan, v, points) {
  const dir = v.runPath;
  const end = v.start + v.duration;
  const sig = signature(plan.features);
  const history = [
    {
      run_id: v.runId,
      artifact_path: 'model',
      utc_time_created: new Date(end).toISOString().replace('T', ' ').replace('Z', '000'),
      flavors: { python_function: { loader_module: 'mlflow.sklearn', python_version: '3.11.9', data: 'model.pkl' }, sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.5.1' } },
      model_uuid: v.modelUuid,
      mlflow_version: '2.14.1',
      signature: sig,
      model_size_bytes: v.weights.length,
    },
  ];
  const mlmodel = mlmodelText(plan, v);
  const files = [
    [
      `${dir}/meta.yaml`,
      `artifact_uri: file:///srv/mlflow/mlruns/${plan.experiment}/${v.runId}/artifacts
end_time: ${end}
entry_point_name: ''
experiment_id: '${plan.experiment}'
lifecycle_stage: active
run_id: ${v.runId}
run_name: ${v.runName}
run_uuid: ${v.runId}
source_name: ''
source_type: 4
source_version: ''
start_time: ${v.start}
status: 3
tags: []
user_id: ${v.author}
`,
    ],
    [`${dir}/params/random_seed`, v.seed],
    [`${dir}/params/learning_rate`, v.learningRate],
    [`${dir}/params/n_estimators`, v.trees],
    [`${dir}/params/max_depth`, v.depth],
    [`${dir}/tags/data_version`, new Date(v.start - 86_400_000).toISOString().slice(0, 10)],
    [`${dir}/tags/author`, v.author],
    [`${dir}/tags/purpose`, `scheduled retrain of ${plan.name}`],
    [`${dir}/tags/mlflow.user`, v.author],
    [`${dir}/tags/mlflow.runName`, v.runName],
    [`${dir}/tags/mlflow.source.git.commit`, v.commit],
    [`${dir}/tags/mlflow.log-model.history`, JSON.stringify(history)],
    ...METRICS.map((m) => [`${dir}/metrics/${m}`, metricText(v.final[m], m, points, v.start, v.duration)]),
    [`${dir}/artifacts/model/MLmodel`, mlmodel],
    [`${dir}/artifacts/model/model.pkl`, v.weights],
  ];
  const sha = (x) => createHash('sha256').update(x).digest('hex');
  // Byte order of relative paths: "MLmodel" < "model.pkl".
  const digest = 'sha256:' + sha(`${sha(mlmodel)}  MLmodel\n${sha(v.weights)}  model.pkl\n`);
  return { files, digest };
}

/** The experiment's own meta.yaml (MLflow writes one per experiment directory). */
export function experimentMeta(plan) {
  return [
    `mlruns/${plan.experiment}/meta.yaml`,
    `artifact_location: file:///srv/mlflow/mlruns/${plan.experiment}
creation_time: ${T0}
experiment_id: '${plan.experiment}'
last_update_time: ${T0}
lifecycle_stage: active
name: ${plan.name}
`,
  ];
}

/** The manifest after `events` (the base state: without the PR's events; head: with them). */
export function manifestYaml(plan, digests, events) {
  const { stages, aliases } = stateAfter(plan.versions.length, events);
  const d = plan.domain;
  const lines = [
    `# ${plan.name}: ${d.use}`,
    `# Stages change through pull requests checked by modelgate, or the modelgate workflow.`,
    'apiVersion: modelgate/v1',
    'kind: Model',
    `name: ${plan.name}`,
    `owner: "${d.team}"`,
    `description: ${d.name} ${d.kind} (synthetic benchmark model ${plan.index})`,
    `riskTier: ${d.riskTier}`,
    `intendedUse: ${d.use}`,
    'versions:',
  ];
  for (const v of plan.versions) {
    lines.push(`  - version: ${v.version}`, `    run: ${v.runPath}`, `    digest: ${digests[v.version - 1]}`, `    stage: ${stages.get(v.version)}`);
  }
  const names = [...aliases.keys()].sort();
  if (names.length) {
    lines.push('aliases:');
    for (const a of names) lines.push(`  ${a}: ${aliases.get(a)}`);
  }
  return lines.join('\n') + '\n';
}

const CHECKS = {
  Staging: ['policy.covered', 'transition.allowed', 'run.status', 'tag:data_version.required', 'tag:author.required', 'tag:purpose.required', 'tag:mlflow.source.git.commit.match', 'param:random_seed.required', 'signature.required', 'signature.compatible', 'metric:val_auc.min', 'metric:val_auc.maxDecrease'],
  Production: ['policy.covered', 'transition.allowed', 'transition.single-production', 'signature.required', 'signature.compatible', 'metric:val_auc.min', 'metric:val_auc.maxDecrease', 'metric:val_logloss.max', 'metric:latency_p99_ms.max', 'metric:latency_p99_ms.maxRelDecrease', 'soak.minTimeInStage', 'approvals.required', 'artifact.exists', 'artifact.digest'],
  alias: ['policy.covered', 'transition.allowed'],
  other: ['transition.allowed'],
};

/**
 * The audit log lines (without newlines) of `events`, hash-chained from the genesis value.
 * Keys are written in RFC 8785 order, so each line is its record's canonical JSON.
 * @param {string[]} sourceCommits commits of the pre-adoption history (records of each era name one)
 */
export function* auditLines(plan, digests, events, sourceCommits, policyDigest) {
  let prev = 'sha256:' + '0'.repeat(64);
  const d = plan.domain;
  const rng = streamFor('audit', plan.index);
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    const v = plan.versions[e.version - 1];
    const list = e.to.startsWith('@') ? CHECKS.alias : CHECKS[e.to] ?? CHECKS.other;
    const checks = list.map((id) => ({ id, level: 'deny', status: 'pass' }));
    const base = e.displaced ? plan.versions[e.displaced - 1] : undefined;
    const evidence =
      e.to === 'Production' || e.to === 'Staging'
        ? {
            ...(base ? { baseline: { metrics: sortedMetrics(base.final), version: base.version } } : {}),
            metrics: sortedMetrics(v.final),
          }
        : undefined;
    const actor = rng.pick(PEOPLE);
    // By time, not by position: a log and its continuation (base and head) must agree on every shared record.
    const era = Math.max(0, Math.min(sourceCommits.length - 1, Math.floor(((e.time - T0) / (T_END - T0)) * sourceCommits.length)));
    const viaRecord = !e.inPr && k % 2 === 0;
    const source = viaRecord
      ? { approvals: [rng.pick(PEOPLE)], commit: sourceCommits[era], pr: 100 + k }
      : { approvals: [actor], ...(e.inPr ? {} : { run_url: `https://github.com/acme/models/actions/runs/${7000000 + plan.index * 1000 + k}` }) };
    const body = {
      action: e.action,
      actor,
      artifact: { digest: digests[e.version - 1] },
      checks,
      ...(e.displaced ? { displaced: e.displaced } : {}),
      ...(evidence ? { evidence } : {}),
      from: e.from,
      intendedUse: d.use,
      model: plan.name,
      policy: { digest: policyDigest, files: [`policies/${d.name}.yaml`, 'recommended'] },
      prev,
      reason: reasonFor(e),
      riskTier: d.riskTier,
      run: v.runPath,
      seq: k + 1,
      source,
      time: new Date(e.time).toISOString(),
      to: e.to,
      version: e.version,
    };
    const text = JSON.stringify(body);
    const hash = 'sha256:' + createHash('sha256').update(text).digest('hex');
    // Insert "hash" at its sorted place (after "from", before "intendedUse").
    const at = text.indexOf(',"intendedUse":');
    yield `${text.slice(0, at)},"hash":${JSON.stringify(hash)}${text.slice(at)}`;
    prev = hash;
  }
}

function sortedMetrics(m) {
  return { latency_p99_ms: m.latency_p99_ms, train_auc: m.train_auc, val_auc: m.val_auc, val_logloss: m.val_logloss };
}

function reasonFor(e) {
  switch (e.action) {
    case 'register':
      return 'nightly retrain registered';
    case 'rollback':
      return 'rollback drill: serve the previous champion';
    case 'archive':
      return e.from === 'Production' ? 'replaced by a newer champion' : 'superseded';
    case 'alias':
      return e.to === '@shadow' ? 'switch shadow traffic' : 'champion follows Production';
    default:
      return e.to === 'Production' ? 'beats the champion on val_auc; soak passed' : 'candidate for the next release';
  }
}

export { METRICS };
