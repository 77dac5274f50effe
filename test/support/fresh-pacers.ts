import { resetSharedPacers } from '../../nodes/shared/transport/pacer';

/** The account pacers are process-wide: each test starts without them, as in a fresh n8n process. */
beforeEach(() => {
	resetSharedPacers();
});
