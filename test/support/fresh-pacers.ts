import { clearModelSchemaCache } from '../../nodes/shared/api/catalogue';
import { resetSharedPacers } from '../../nodes/shared/transport/pacer';

// Each test starts with the process-wide pacers and the schema cache fresh: test files and tests do not
// share KIE windows or schemas.
beforeEach(() => {
	resetSharedPacers();
	clearModelSchemaCache();
});
