// Tests share native threads and process-wide RNG state, so they run one at a time.
[assembly: DoNotParallelize]
