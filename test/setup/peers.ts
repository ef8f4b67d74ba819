import { peersPython } from '../helpers/peers.ts';

/** confluent-kafka is installed (once, into the cache) before the peer tests run; a failure fails the run. */
export default function setup(): void {
  peersPython();
}
