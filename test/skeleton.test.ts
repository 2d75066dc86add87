import { test, expect } from "vitest"; test("skeleton", () => expect(1 + 1).toBe(2));
