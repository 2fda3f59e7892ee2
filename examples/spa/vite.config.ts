import { defineConfig } from 'vite';

// The app finds the gate through public/config.json at run time, so one build serves every environment.
export default defineConfig({
  server: { port: 5173, strictPort: true },
  build: { target: 'es2022', sourcemap: true },
});
