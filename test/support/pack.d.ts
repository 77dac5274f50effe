/** The paths `npm pack` would put in the package (building it first when dist/ is missing). */
export function packedFiles(): string[];
