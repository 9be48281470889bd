import type { GitHubApiDouble } from './github-api-double.js'

/**
 * GET /user as GitHub answers it: an installation token (GITHUB_TOKEN, a GitHub App's, `ghs_…`) is
 * refused with 403 "Resource not accessible by integration"; any other token is `user`.
 */
export function answerUserLookup(
  api: GitHubApiDouble,
  user = { login: 'octocat', id: 583231, type: 'User' }
): void {
  api.on('users/get-authenticated', req =>
    String(req.headers.authorization).includes('ghs_')
      ? {
          status: 403,
          body: {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
            status: '403'
          }
        }
      : { status: 200, body: user }
  )
}
