import { clearModelSchemaCache } from '../../nodes/shared/api/catalogue';
import { resetSharedPacers } from '../../nodes/shared/transport/pacer';
import { forgetCallbacks } from '../../nodes/shared/webhook/replay';

// Each test starts with the process-wide pacers, the schema cache and the callback replay record fresh:
// test files and tests do not share KIE windows, schemas or signatures (tests sign the same task ids).
beforeEach(() => {
	resetSharedPacers();
	clearModelSchemaCache();
	forgetCallbacks();
});
