# Puts the research guide into the SharePoint site you are connected to (Connect-PnPOnline).
# 1. Removes the guide's own menu entry (the top-level entry that links to the guide's home
#    page, with everything under it). The site's other menu entries are not touched.
# 2. Applies template.xml: the guide's pages (bpc-*.aspx) and files (Site Assets/bpc-guide).
#    The template holds no navigation and no site settings.
# 3. Adds the guide's menu from menu.json again, under one top-level entry.
# Run it again after each national update: it replaces the guide's pages and menu entries.
[CmdletBinding()]
param()
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$menu = Get-Content -Raw -Encoding utf8 -Path (Join-Path $PSScriptRoot 'menu.json') | ConvertFrom-Json
$site = (Get-PnPWeb -Includes ServerRelativeUrl).ServerRelativeUrl.TrimEnd('/')
$guideHome = "$site/$($menu.url)"

# 1. The guide's own top-level entry is the one that links to its home page.
foreach ($node in @(Get-PnPNavigationNode -Location $menu.location)) {
    if ($node.Url -and $node.Url.TrimEnd('/') -like "*$($menu.url)") {
        Remove-PnPNavigationNode -Identity $node.Id -Force
    }
}

# 2. The pages and files.
Invoke-PnPSiteTemplate -Path (Join-Path $PSScriptRoot 'template.xml')

# 3. The menu. Each entry is added under its parent by the parent's id, never by its title.
function Add-GuideNode($entry, $parentId) {
    $url = if ($entry.external) { $entry.url } else { "$site/$($entry.url)" }
    $options = @{ Location = $menu.location; Title = $entry.title; Url = $url }
    if ($entry.external) { $options.External = $true }
    if ($null -ne $parentId) { $options.Parent = $parentId }
    $added = Add-PnPNavigationNode @options
    foreach ($child in @($entry.children)) { Add-GuideNode $child $added.Id }
}
Add-GuideNode $menu $null
Write-Host "The guide's pages and menu are in place: open $guideHome"
