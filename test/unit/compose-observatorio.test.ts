import { describe, expect, it } from 'vitest';
import { compose, service } from '../helpers/compose.ts';

describe('docker-compose.yml, the observatorio profile', () => {
  it('runs PostgreSQL 15 (official image) only with the profile, on loopback, with a healthcheck and a volume', () => {
    const postgres = service('postgres');
    expect(postgres).toContain('image: postgres:15');
    expect(postgres).toContain('profiles: ["observatorio", "observatorio-spark"]');
    expect(postgres).toContain('- "127.0.0.1:5432:5432"');
    expect(postgres).toMatch(
      /healthcheck:\n\s+test: \["CMD-SHELL", "pg_isready -U observatorio -d observatorio"\]/,
    );
    expect(postgres).toContain('- postgres-data:/var/lib/postgresql/data');
    expect(compose).toMatch(/^volumes:\n(?: {2}.*\n)*? {2}postgres-data:/m);
  });

  it('creates the tables at the first start from the migration in the repository', () => {
    expect(service('postgres')).toContain('- ./db/migrations:/docker-entrypoint-initdb.d:ro');
  });

  it('runs simulador_qog and procesador_qog with the profile; the processor once PostgreSQL is healthy', () => {
    expect(service('simulador-qog')).toContain('bridge/simulador_qog.ts');
    expect(service('simulador-qog')).toContain('profiles: ["observatorio"]');
    const procesador = service('procesador-qog');
    expect(procesador).toContain('bridge/procesador_qog.ts');
    expect(procesador).toContain('profiles: ["observatorio"]');
    expect(procesador).toMatch(/postgres:\n\s+condition: service_healthy/);
    expect(procesador).toMatch(/kafka-init:\n\s+condition: service_completed_successfully/);
    expect(procesador).toContain(
      'POSTGRES_URL: postgres://observatorio:observatorio@postgres:5432/observatorio',
    );
  });

  it('creates eventos_qog and alertas_qog in kafka-init, so Kafka UI shows them from the start', () => {
    expect(service('kafka-init')).toMatch(/for topic in .* eventos_qog alertas_qog; do/);
  });

  it('runs spark_streaming_qog with the observatorio-spark profile, with the JDBC driver and the baseline and migration it reads', () => {
    const spark = service('spark-qog');
    expect(spark).toContain('profiles: ["observatorio-spark"]');
    expect(spark).toContain('org.postgresql:postgresql:42.7.8');
    expect(spark).toContain('/opt/sismos/spark/spark_streaming_qog.py');
    expect(spark).toContain('- ./spark:/opt/sismos/spark:ro');
    expect(spark).toContain('- ./db:/opt/sismos/db:ro');
    expect(spark).toMatch(/postgres:\n\s+condition: service_healthy/);
  });
});
