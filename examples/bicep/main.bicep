param registryName string
param pipelinePrincipalId string
param location string = resourceGroup().location

var roles = {
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    name: registryName
    location: location
  }
}

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: registryName
}

resource pullIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${registryName}-pull'
  location: location
}

resource web 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'web'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${pullIdentity.id}': {}
    }
  }
  properties: {
    osType: 'Linux'
    imageRegistryCredentials: [
      {
        server: registry.outputs.loginServer
        identity: pullIdentity.id
      }
    ]
    containers: [
      {
        name: 'web'
        properties: {
          image: '${registryName}.azurecr.io/web:1.0'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
        }
      }
    ]
  }
}

resource pipelineRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(acr.id, pipelinePrincipalId, roles.Contributor)
  scope: acr
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.Contributor)
    principalId: pipelinePrincipalId
    principalType: 'ServicePrincipal'
  }
}
