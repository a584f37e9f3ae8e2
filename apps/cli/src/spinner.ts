/**
 * Shows a spinner on `stream` only when it is a terminal and the work takes longer than `delayMs`,
 * so that pipes, cron logs and CI output stay clean. Returns a function that stops and clears it.
 */
export function startSpinner(stream: NodeJS.WriteStream, text: string, delayMs = 300, show = stream.isTTY): () => void {
  if (!show) return () => undefined;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let interval: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    interval = setInterval(() => {
      stream.write(`\r${frames[frame++ % frames.length]} ${text}`);
    }, 80);
  }, delayMs);
  return () => {
    clearTimeout(timer);
    if (interval) {
      clearInterval(interval);
      stream.write(`\r${' '.repeat(text.length + 2)}\r`);
    }
  };
}
