import { clearModelSchemaCache } from '../../nodes/shared/api/catalogue';
import { clearModelPriceCache } from '../../nodes/shared/api/price';
import { resetProcessReuse } from '../../nodes/shared/reuse';
import { resetSharedPacers } from '../../nodes/shared/transport/pacer';
import { forgetCallbacks } from '../../nodes/shared/webhook/replay';

// Each test starts with the process-wide pacers, the schema and price caches, the callback replay record
// and the Reuse Results memory fresh: test files and tests do not share KIE windows, schemas, prices,
// signatures (tests sign the same task ids) or remembered tasks.
beforeEach(() => {
	resetSharedPacers();
	clearModelSchemaCache();
	forgetCallbacks();
	clearModelPriceCache();
	resetProcessReuse();
});
