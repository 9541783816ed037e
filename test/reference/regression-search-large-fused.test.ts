/** tpu_v4i × GPT-3 175B prefill, fused: the slowest public regression case (see large-case.ts). */
import { describeLargeCase } from "./large-case.ts"

describeLargeCase("tpu_v4i|gpt3_175B|BATCH_SIZE=1,DECODE=False,N_NEW_TOKENS=2048|fused")
