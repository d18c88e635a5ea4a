using 'main.bicep'

param registryName = 'contosodev'
param pipelinePrincipalId = '11111111-2222-3333-4444-555555555555'
