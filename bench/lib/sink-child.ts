// The SMTP sink in a process of its own (bench/outbox.ts): its CPU stays out of the worker's.
// Prints the port, then answers "count" on stdin with the number of messages received.
import { SmtpSink } from './smtp-sink.ts';

const sink = new SmtpSink();
const port = await sink.listen();
process.stdout.write(`port ${port}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  for (const line of chunk.split('\n')) {
    if (line.trim() === 'count') process.stdout.write(`count ${sink.messages} ${sink.connections}\n`);
  }
});
process.stdin.on('end', () => void sink.close().then(() => process.exit(0)));
